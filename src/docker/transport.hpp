#pragma once
// Transport: how a DockerClient reaches its daemon, shared by all of its connections and
// immutable after make(): the endpoint, the TLS context (CA, client certificate, loaded once)
// and the ssh command. Internal to src/docker (Asio's ssl header stays out of public headers).
#include <utility>  // before any Boost.Asio header (Boost 1.74 + GCC 12)

#include <memory>
#include <string>
#include <vector>

#include <boost/asio/ssl/context.hpp>

#include "base/result.hpp"
#include "docker/daemon_endpoint.hpp"

namespace kfrun::docker {

class Transport {
  public:
    // Loads the TLS material (Input errors naming the file) or prepares the ssh command.
    static base::Result<std::shared_ptr<const Transport>> make(DaemonEndpoint endpoint);

    const DaemonEndpoint& endpoint() const { return m_endpoint; }
    // The TLS context for tcp:// with TLS; nullptr otherwise. OpenSSL's SSL_CTX may be shared
    // by connections on many threads once it is set up.
    boost::asio::ssl::context* tls() const { return m_tls.get(); }
    const std::vector<std::string>& ssh_command() const { return m_ssh_command; }

  private:
    explicit Transport(DaemonEndpoint endpoint) : m_endpoint(std::move(endpoint)) {}

    DaemonEndpoint m_endpoint;
    std::unique_ptr<boost::asio::ssl::context> m_tls;
    std::vector<std::string> m_ssh_command;
};

}  // namespace kfrun::docker
