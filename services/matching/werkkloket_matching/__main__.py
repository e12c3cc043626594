from werkkloket_runtime.service import serve

from .main import MatchingSettings, build

settings = MatchingSettings()
serve(build(settings)[1], settings)
