from werkkloket_runtime.service import serve

from .main import MatchingSettings, build

settings = MatchingSettings()  # type: ignore[call-arg]
serve(build(settings)[1], settings)
