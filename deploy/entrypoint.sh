#!/bin/bash
# Entrypoint of the kentro_koinotitas image (as frappe_docker's resources/core/main-entrypoint.sh): the
# built assets are in the image layer; link them into the mounted sites volume, then run the command.
set -e

ASSETS_PATH="/home/frappe/frappe-bench/sites/assets"
BAKED_PATH="/home/frappe/frappe-bench/assets"

rm -rf "$ASSETS_PATH"
mkdir -p "$(dirname "$ASSETS_PATH")"
ln -s "$BAKED_PATH" "$ASSETS_PATH"

exec "$@"
