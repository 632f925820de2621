"""The package build copies loyalty.h from the checkout (or $LOYALTY_HEADER)
into the package and checks the binding can read it, so an installed
package carries the header its constants and signatures come from.
$LOYALTY_BUNDLE_LIBRARY names a libloyalty.so to ship inside the package
too (build-wheel.sh sets it), and $LOYALTY_BUNDLE_READERS its card readers,
libloyalty_readers.so, which libloyalty.so loads from beside itself; the
wheel is then tagged for this platform."""
import os
import shutil
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildPy(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "loyalty"
        header = Path(os.environ.get("LOYALTY_HEADER")
                      or HERE.parents[1] / "include" / "loyalty" / "loyalty.h")
        if not header.is_file():
            sys.exit(f"{header}: not found; set LOYALTY_HEADER to the library's loyalty.h")
        sys.path.insert(0, str(HERE / "loyalty"))
        import _header  # the package's own parser: a header it cannot read fails the build
        parsed = _header.parse(header.read_text(encoding="utf-8"), str(header))
        print(f"loyalty.h {'.'.join(map(str, parsed.version))}: {len(parsed.functions)}"
              f" functions, {len(parsed.enums['key'])} result keys")
        (target / "include").mkdir(parents=True, exist_ok=True)
        shutil.copy2(header, target / "include" / "loyalty.h")
        library = os.environ.get("LOYALTY_BUNDLE_LIBRARY")
        if library:
            (target / "lib").mkdir(parents=True, exist_ok=True)
            shutil.copy2(library, target / "lib" / "libloyalty.so")
        readers = os.environ.get("LOYALTY_BUNDLE_READERS")
        if readers:
            (target / "lib").mkdir(parents=True, exist_ok=True)
            shutil.copy2(readers, target / "lib" / "libloyalty_readers.so.0")


cmdclass = {"build_py": BuildPy}
if os.environ.get("LOYALTY_BUNDLE_LIBRARY"):
    from wheel.bdist_wheel import bdist_wheel

    class PlatformWheel(bdist_wheel):
        """A native library inside: not a pure-Python wheel."""

        def finalize_options(self):
            super().finalize_options()
            self.root_is_pure = False

        def get_tag(self):
            _, _, plat = super().get_tag()
            return "py3", "none", plat

    cmdclass["bdist_wheel"] = PlatformWheel

setup(cmdclass=cmdclass)
