#!/bin/sh
# The manage CLI in the Docker image: `manage <command> [options]` (see `manage --help`).
cd /app && exec node dist/apps/manage/src/main.js "$@"
