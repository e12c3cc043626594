from werkkloket_runtime.service import serve

from .bootstrap import RapportageSettings, build

settings = RapportageSettings()
serve(build(settings)[1], settings, "rapportage")
