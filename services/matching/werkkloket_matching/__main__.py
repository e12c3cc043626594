from werkkloket_runtime.service import serve

from .bootstrap import MatchingSettings, build

settings = MatchingSettings()
serve(build(settings)[1], settings, "matching")
