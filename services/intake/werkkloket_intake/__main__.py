from werkkloket_runtime.service import serve
from werkkloket_runtime.settings import ServiceSettings

from .main import build

settings = ServiceSettings()  # type: ignore[call-arg]
serve(build(settings)[1], settings)
