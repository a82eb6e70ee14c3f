#include "docker/transport.hpp"

#include <cstdlib>

#include "docker/ssh_dial.hpp"

namespace kfrun::docker {
namespace {

base::Error tls_file_error(const std::string& what, const std::string& path,
                           const boost::system::error_code& error) {
    return base::make_error(base::ErrorKind::Input,
                            "cannot load the TLS " + what + " " + path + ": " + error.message(),
                            "TLS");
}

}  // namespace

base::Result<std::shared_ptr<const Transport>> Transport::make(DaemonEndpoint endpoint) {
    std::shared_ptr<Transport> transport(new Transport(std::move(endpoint)));
    const DaemonEndpoint& ep = transport->m_endpoint;
    if (ep.kind == DaemonEndpoint::Kind::Tcp && ep.tls) {
        namespace ssl = boost::asio::ssl;
        auto context = std::make_unique<ssl::context>(ssl::context::tls_client);
        context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                             ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                             ssl::context::no_tlsv1_1);
        boost::system::error_code error;
        if (ep.tls_verify) {
            if (ep.tls_files.ca.empty()) {
                return base::make_error(
                    base::ErrorKind::Input,
                    "TLS verification of " + ep.url() + " needs a CA certificate (ca.pem)", "TLS");
            }
            if (context->load_verify_file(ep.tls_files.ca, error)) {
                return tls_file_error("CA certificate", ep.tls_files.ca, error);
            }
            context->set_verify_mode(ssl::verify_peer, error);
        } else {
            context->set_verify_mode(ssl::verify_none, error);
        }
        if (!ep.tls_files.cert.empty()) {
            if (context->use_certificate_chain_file(ep.tls_files.cert, error)) {
                return tls_file_error("client certificate", ep.tls_files.cert, error);
            }
            if (context->use_private_key_file(ep.tls_files.key, ssl::context::pem, error)) {
                return tls_file_error("client key", ep.tls_files.key, error);
            }
        }
        transport->m_tls = std::move(context);
    }
    if (ep.kind == DaemonEndpoint::Kind::Ssh) {
        auto control_dir = ssh_control_dir();
        if (!control_dir.ok()) {
            return control_dir.error();
        }
        const char* options = std::getenv("KFRUN_SSH_OPTS");
        transport->m_ssh_command =
            ssh_dial_command(ep, *control_dir, options == nullptr ? "" : options);
    }
    return std::shared_ptr<const Transport>(std::move(transport));
}

}  // namespace kfrun::docker
