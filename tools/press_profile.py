"""Make the print edition's default CMYK profile: FOGRA39 (ISO 12647-2 offset on coated paper, the
condition most European and Chinese print shops proof to), from Fogra's own characterisation data
as Debian's icc-profiles-free ships it, with ArgyllCMS's colprof.

    python tools/press_profile.py build/icc/FOGRA39L.icc

The same data gives the same bytes: colprof writes the hour it ran into the profile's header, which is
set here to the date of the measurements, so that print PDFs are reproducible on any machine.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DATA = Path("/usr/share/color/icc/FOGRA39L.ti3")          # Debian package icc-profiles-free
DESCRIPTION = "FOGRA39L (ISO 12647-2:2004/Amd 1 coated), ArgyllCMS colprof"
COPYRIGHT = "Characterisation data: Fogra (FOGRA39L.ti3); profile made with ArgyllCMS colprof"
MEASURED = (2006, 12, 1, 0, 0, 0)     # "CREATED December 2006" in FOGRA39L.ti3


def make(target: Path) -> None:
    if not DATA.is_file():
        raise SystemExit(f"error: {DATA} is missing: apt-get install icc-profiles-free")
    if not shutil.which("colprof"):
        raise SystemExit("error: colprof is missing: apt-get install argyll")
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(DATA, Path(tmp) / "FOGRA39L.ti3")
        # medium quality, black as a ramp (colprof's default inking), perceptual tables from the data
        subprocess.run(["colprof", "-qm", "-kr", "-D", DESCRIPTION, "-C", COPYRIGHT, "FOGRA39L"], cwd=tmp,
                       check=True, stdout=subprocess.DEVNULL)
        data = bytearray((Path(tmp) / "FOGRA39L.icc").read_bytes())
    # ICC header: bytes 24-35 are the creation date (six big-endian 16-bit numbers); the profile ID
    # (bytes 84-99) colprof leaves zero, so nothing else depends on them
    data[24:36] = b"".join(n.to_bytes(2, "big") for n in MEASURED)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp_target = target.with_suffix(".tmp")
    tmp_target.write_bytes(bytes(data))
    tmp_target.replace(target)


if __name__ == "__main__":
    make(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("build/icc/FOGRA39L.icc"))
