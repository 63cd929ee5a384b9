# Two entry points, both set up a fresh machine first: `make example` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell PYENV_VERSION=3.12.1 pyenv which python3.12 2>/dev/null || command -v python3.12)
VENV := .venv
BIN := $(VENV)/bin
OUT := out/pour_water
EXAMPLE := examples/pour_water
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup example test system-packages lint-code clean

$(BIN)/.installed: pyproject.toml constraints.txt
	@test -n "$(PYTHON)" || { echo "Python 3.12 is needed (pyenv: PYENV_VERSION=3.12.1)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	$(BIN)/pip install --quiet --no-deps ./plugins/lerobot_env_actionbank  # LeRobot finds --env.type=actionbank
	touch $@

# Byte-compile our packages, as a regular (non-editable) pip install does: an editable install
# leaves that to the first import, which never writes the cache where PYTHONDONTWRITEBYTECODE
# is set (CI images, Docker), so every command would compile them from source again (0.09 s of
# a 0.48 s `lint` of an example). Up-to-date files are skipped; a source edited later is still
# read fresh.
setup: $(BIN)/.installed
	@$(BIN)/python -m compileall -q actionbank sim recorder  # quiet unless a file does not compile

# Debian packages: graphviz (`dot` renders DOT files; the tests check our DOT output with it),
# xvfb (a virtual display: the tests open MuJoCo's viewer for `generate --preview` in it) and
# ffmpeg (its shared libraries, FFmpeg 5.1, are what LeRobot's default video decoder,
# torchcodec, loads; without them every dataset open prints a traceback and falls back to PyAV)
# and chromium (a headless browser: the tests open `actionbank report`'s page in it).
DEBIAN_PACKAGES := graphviz xvfb ffmpeg chromium
system-packages:
	@{ command -v dot && command -v xvfb-run && command -v ffmpeg && command -v chromium; } >/dev/null || \
		$(SUDO) apt-get install -y $(DEBIAN_PACKAGES) >/dev/null || \
		{ $(SUDO) apt-get update >/dev/null && $(SUDO) apt-get install -y $(DEBIAN_PACKAGES) >/dev/null; }

# The main job on the shipped example: lint, compile, DOT and Gantt of examples/pour_water,
# then generate a 3-episode LeRobot dataset in out/pour_water/dataset (replaced on each run)
# and draw a strip of its first episode's frames.
example: setup system-packages
	mkdir -p $(OUT)
	$(BIN)/actionbank lint $(EXAMPLE)/action_config.yaml
	$(BIN)/actionbank compile $(EXAMPLE)/action_config.yaml -o $(OUT)/plan.json
	$(BIN)/actionbank dot $(EXAMPLE)/action_config.yaml -o $(OUT)/graph.dot
	dot -Tsvg $(OUT)/graph.dot -o $(OUT)/graph.svg
	$(BIN)/actionbank gantt $(EXAMPLE)/action_config.yaml -o $(OUT)/gantt.svg
	@echo "plan, graph and Gantt chart written to $(OUT)/"
	rm -rf $(OUT)/dataset
	$(BIN)/actionbank generate --gym-config $(EXAMPLE)/gym_config.yaml \
		--action-config $(EXAMPLE)/action_config.yaml --max-episodes 3 --output $(OUT)/dataset
	$(BIN)/actionbank strip $(OUT)/dataset -o $(OUT)/strip.png

test: setup system-packages
	$(BIN)/python -m pytest -q

lint-code: setup
	$(BIN)/ruff check actionbank sim recorder tests benchmarks
	$(BIN)/mypy

clean:
	rm -rf out
