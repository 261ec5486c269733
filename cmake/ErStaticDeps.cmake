# ErStaticDeps: link the libraries every start-up loads statically, when
# Debian ships their archives (it does for all of them but libharu and
# libunibreak).
#
# Why: Debian's libcairo.so pulls in X11 and eight more libraries a chart
# never uses. Loading and relocating the 27 shared libraries took about
# 1.2 ms of every run (`ecoreport --version`: 2.3 ms shared, 1.1 ms static;
# one 1200x675 chart: 8.5 -> 6.6 ms). Linked from their archives, only the
# object files we call are taken, and cairo's X11 back ends are not among
# them.
#
# ER_STATIC_DEPS=OFF (and the sanitizer build, whose runtime must see every
# allocation through shared libraries' symbols) keeps the shared libraries.
#
#   er_link_static(PKG_TARGET NAME...) - makes the pkg-config target
#     PKG_TARGET (its include directories kept) link the archives of the
#     libraries NAME... (ErStatic::NAME) instead of their shared libraries.
#     No-op when static linking is off or an archive is missing.

option(ER_STATIC_DEPS "Link cairo, FreeType, fontconfig, libpng, zlib, libcsv, libyaml and cmark-gfm statically" ON)

set(ER_STATIC_ACTIVE OFF)
if(ER_STATIC_DEPS AND NOT ER_SANITIZE)
  find_package(Threads REQUIRED)
  # name|archive|what it needs (ErStatic targets or plain names, comma-separated)
  set(_er_static_specs
    "z|libz.a|"
    "png|libpng16.a|ErStatic::z,m"
    "brotlicommon|libbrotlicommon.a|"
    "brotlidec|libbrotlidec.a|ErStatic::brotlicommon"
    "expat|libexpat.a|"
    "freetype|libfreetype.a|ErStatic::png,ErStatic::z,ErStatic::brotlidec,m"
    "fontconfig|libfontconfig.a|ErStatic::freetype,ErStatic::expat,Threads::Threads"
    "pixman|libpixman-1.a|m,Threads::Threads"
    "cairo|libcairo.a|ErStatic::pixman,ErStatic::fontconfig,ErStatic::freetype,ErStatic::png,ErStatic::z,m,Threads::Threads"
    "csv|libcsv.a|"
    "yaml|libyaml.a|"
    "cmark|libcmark-gfm.a|"
    "cmark_ext|libcmark-gfm-extensions.a|ErStatic::cmark")
  set(_er_static_missing "")
  foreach(_spec IN LISTS _er_static_specs)
    string(REPLACE "|" ";" _parts "${_spec}")
    list(GET _parts 0 _name)
    list(GET _parts 1 _file)
    find_library(ER_STATIC_${_name} NAMES ${_file})
    mark_as_advanced(ER_STATIC_${_name})
    if(NOT ER_STATIC_${_name})
      list(APPEND _er_static_missing ${_file})
    endif()
  endforeach()
  if(NOT _er_static_missing)
    # The lists above are what Debian 12's archives need (its pkg-config
    # files say so); another build of FreeType or cairo may need more
    # (bzip2, harfbuzz). Try a link that takes what ecoreport calls, and
    # fall back to the shared libraries rather than fail the build.
    include(CheckCSourceCompiles)
    set(CMAKE_REQUIRED_LIBRARIES
      ${ER_STATIC_cmark_ext} ${ER_STATIC_cmark} ${ER_STATIC_yaml} ${ER_STATIC_csv}
      ${ER_STATIC_cairo} ${ER_STATIC_pixman} ${ER_STATIC_fontconfig} ${ER_STATIC_freetype}
      ${ER_STATIC_expat} ${ER_STATIC_png} ${ER_STATIC_brotlidec} ${ER_STATIC_brotlicommon}
      ${ER_STATIC_z} m Threads::Threads)
    check_c_source_compiles([[
      /* Addresses, so that the linker must take each and what it needs. */
      extern char cairo_image_surface_create[], cairo_pdf_surface_create_for_stream[],
        cairo_ft_font_face_create_for_pattern[], cairo_show_text_glyphs[], FT_Init_FreeType[],
        FcInitLoadConfig[], FcFontMatch[], png_create_write_struct_2[], csv_init[],
        yaml_parser_initialize[], cmark_parser_new[], cmark_gfm_core_extensions_ensure_registered[];
      static char *const used[] = {cairo_image_surface_create, cairo_pdf_surface_create_for_stream,
        cairo_ft_font_face_create_for_pattern, cairo_show_text_glyphs, FT_Init_FreeType,
        FcInitLoadConfig, FcFontMatch, png_create_write_struct_2, csv_init, yaml_parser_initialize,
        cmark_parser_new, cmark_gfm_core_extensions_ensure_registered};
      int main(void) { return used[0] == 0; }
    ]] ER_STATIC_DEPS_LINK)
    unset(CMAKE_REQUIRED_LIBRARIES)
    if(NOT ER_STATIC_DEPS_LINK)
      set(_er_static_missing "archives that link together (the test link failed)")
    endif()
  endif()
  if(_er_static_missing)
    message(STATUS "ER_STATIC_DEPS: no ${_er_static_missing}; linking shared libraries")
  else()
    set(ER_STATIC_ACTIVE ON)
    foreach(_spec IN LISTS _er_static_specs)
      string(REPLACE "|" ";" _parts "${_spec}")
      list(GET _parts 0 _name)
      list(GET _parts 2 _deps)
      string(REPLACE "," ";" _deps "${_deps}")
      add_library(ErStatic::${_name} STATIC IMPORTED GLOBAL)
      set_target_properties(ErStatic::${_name} PROPERTIES
        IMPORTED_LOCATION "${ER_STATIC_${_name}}"
        INTERFACE_LINK_LIBRARIES "${_deps}")
    endforeach()
  endif()
endif()

function(er_link_static pkg_target)
  if(ER_STATIC_ACTIVE)
    set(_libs "")
    foreach(_name IN LISTS ARGN)
      list(APPEND _libs ErStatic::${_name})
    endforeach()
    get_target_property(_type ${pkg_target} TYPE)
    if(_type STREQUAL "UNKNOWN_LIBRARY")
      # A find module's target (libcsv): it names its library file itself.
      list(POP_FRONT _libs _first)
      get_target_property(_file ${_first} IMPORTED_LOCATION)
      set_target_properties(${pkg_target} PROPERTIES IMPORTED_LOCATION "${_file}")
    endif()
    set_target_properties(${pkg_target} PROPERTIES INTERFACE_LINK_LIBRARIES "${_libs}")
  endif()
endfunction()
