from werkkloket_runtime.migrations import run_env

run_env()
