from werkkloket_runtime.service import serve
from werkkloket_runtime.settings import ServiceSettings

from .bootstrap import build

settings = ServiceSettings()
serve(build(settings)[1], settings, "intake")
