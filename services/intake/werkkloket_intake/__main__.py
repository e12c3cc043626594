from werkkloket_runtime.service import serve
from werkkloket_runtime.settings import ServiceSettings
from werkkloket_runtime.versleuteling import OngeldigeSleutels

from .bootstrap import build

settings = ServiceSettings()
try:
    sleutels = settings.sleutels()
except OngeldigeSleutels as exc:
    raise SystemExit(f"intake: {exc}; intake does not start without its keys") from None
serve(build(settings, sleutels)[1], settings, "intake")
