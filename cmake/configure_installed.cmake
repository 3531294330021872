# Fills in the files that name installed paths (the systemd unit, the man
# page) for CMAKE_INSTALL_PREFIX as it stands when this runs: at configure
# time for the build tree (CMakeLists.txt includes it), and again at install
# time for the prefix really installed under (`cmake --install --prefix`,
# cpack's /usr), so that an installed unit never starts a binary that is
# somewhere else.
#
# In: CMAKE_INSTALL_PREFIX, PROJECT_VERSION, HVPROBE_SOURCE_DIR,
# HVPROBE_TEXTFILE_DIR (absolute), the install directories as given to
# install() (relative to the prefix, or absolute): HVPROBE_REL_BINDIR,
# HVPROBE_REL_DOCDIR, HVPROBE_REL_DATADIR, HVPROBE_REL_EFIDIR,
# HVPROBE_REL_UNITDIR; and the outputs HVPROBE_UNIT_OUT, HVPROBE_MAN_OUT.

foreach(dir BINDIR DOCDIR DATADIR EFIDIR UNITDIR)
  if(IS_ABSOLUTE "${HVPROBE_REL_${dir}}")
    set(HVPROBE_${dir} "${HVPROBE_REL_${dir}}")
  else()
    set(HVPROBE_${dir} "${CMAKE_INSTALL_PREFIX}/${HVPROBE_REL_${dir}}")
  endif()
endforeach()

configure_file("${HVPROBE_SOURCE_DIR}/contrib/systemd/hvprobe.service.in" "${HVPROBE_UNIT_OUT}" @ONLY)
configure_file("${HVPROBE_SOURCE_DIR}/man/hvprobe.1.in" "${HVPROBE_MAN_OUT}" @ONLY)
