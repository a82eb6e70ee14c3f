# The Debian package (docs/install.md): `cpack -G DEB` in the build folder makes
# kfrun_<version>_amd64.deb with /usr/bin/kfrun, its man page, bash/zsh/fish completions, the
# docs and the examples. Only kfrun and these files are installed, never a test target.
# Included from the top-level CMakeLists.txt, so `cpack` runs in the build folder itself.
include(GNUInstallDirs)

set(KFRUN_PACKAGING_DIR ${CMAKE_CURRENT_LIST_DIR})
set(KFRUN_GENERATED_DIR ${PROJECT_BINARY_DIR}/packaging)

# Shell completions, printed by the built kfrun from its own command line (`kfrun completion`).
set(KFRUN_COMPLETIONS
    ${KFRUN_GENERATED_DIR}/completions/kfrun
    ${KFRUN_GENERATED_DIR}/completions/_kfrun
    ${KFRUN_GENERATED_DIR}/completions/kfrun.fish)
add_custom_command(
  OUTPUT ${KFRUN_COMPLETIONS}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${KFRUN_GENERATED_DIR}/completions
  COMMAND sh -c "$0 completion bash > $1 && $0 completion zsh > $2 && $0 completion fish > $3"
          $<TARGET_FILE:kfrun> ${KFRUN_COMPLETIONS}
  DEPENDS kfrun
  COMMENT "Generating the kfrun shell completions"
  VERBATIM)
set(KFRUN_DOC_OUTPUTS ${KFRUN_COMPLETIONS})

# The man page, from kfrun's own --help and --version (help2man), with a section holding every
# subcommand's help. help2man is needed for the package only: without it the build goes on and
# the package has no man page (configure says so).
find_program(HELP2MAN_PROGRAM help2man)
if(HELP2MAN_PROGRAM)
  set(KFRUN_MAN_PAGE ${KFRUN_GENERATED_DIR}/kfrun.1.gz)
  add_custom_command(
    OUTPUT ${KFRUN_MAN_PAGE}
    COMMAND sh ${KFRUN_PACKAGING_DIR}/man_page.sh $<TARGET_FILE:kfrun> ${HELP2MAN_PROGRAM}
            ${KFRUN_PACKAGING_DIR}/kfrun.h2m ${KFRUN_MAN_PAGE}
    DEPENDS kfrun ${KFRUN_PACKAGING_DIR}/man_page.sh ${KFRUN_PACKAGING_DIR}/kfrun.h2m
    COMMENT "Generating the kfrun man page (help2man)"
    VERBATIM)
  list(APPEND KFRUN_DOC_OUTPUTS ${KFRUN_MAN_PAGE})
  install(FILES ${KFRUN_MAN_PAGE} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(WARNING "help2man not found: the package will have no man page "
                  "(scripts/setup.sh installs help2man)")
endif()
# Part of `all` (scripts/test.sh), not of the `kfrun` target the demo builds.
add_custom_target(kfrun_docs ALL DEPENDS ${KFRUN_DOC_OUTPUTS})

install(TARGETS kfrun RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${KFRUN_GENERATED_DIR}/completions/kfrun
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${KFRUN_GENERATED_DIR}/completions/_kfrun
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${KFRUN_GENERATED_DIR}/completions/kfrun.fish
        DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/SECURITY.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs)
# Without the checkout's .kfrun.yaml: it maps images to the fixture images of this repository.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples
        PATTERN .kfrun.yaml EXCLUDE)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME kfrun)
set(CPACK_PACKAGE_VENDOR kfrun)
set(CPACK_PACKAGE_CONTACT "kfrun maintainers <kfrun@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "run compiled Kubeflow Pipelines on the local Docker daemon")
set(CPACK_PACKAGE_DESCRIPTION
    "kfrun runs compiled Kubeflow Pipelines (KFP v1 / Argo Workflow YAML) against a Docker \
daemon through the Engine API: steps run in containers, results are cached, and every run \
writes a report.")
set(CPACK_STRIP_FILES ON)  # the RelWithDebInfo binary is ~240 MB with its debug info
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # kfrun_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The shared libraries kfrun links (libarchive, graphviz, md4c, re2, OpenSSL, yaml-cpp, ...)
# become Depends through dpkg-shlibdeps (Debian's dpkg-dev).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# A Docker daemon is needed, but not necessarily on this machine (DOCKER_HOST=tcp://… or ssh://…),
# so it is a Recommends: apt installs it by default, --no-install-recommends leaves it out.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "docker.io | docker-ce")
# openssh-client: daemons at ssh://; xdg-utils: `kfrun report --open`.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion, openssh-client, xdg-utils")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
