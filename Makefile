.PHONY: setup demo test serve

setup:
	bash .ci/setup

demo: setup
	.venv/bin/sreo demo

test:
	bash .ci/test

serve: setup
	.venv/bin/sreo serve
