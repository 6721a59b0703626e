#!/usr/bin/env bash
# Re-create src/termgraph/web/static/vendor (and tests/vendor) from the npm registry at the
# versions pinned in frontend/package.json (the files are committed, so nothing is fetched at
# run time). axe-core is for the browser tests only, so it goes to tests/vendor.
set -euo pipefail
cd "$(dirname "$0")/../frontend"
npm install --no-audit --no-fund --ignore-scripts
V=../src/termgraph/web/static/vendor
T=../tests/vendor
mkdir -p "$V/cytoscape-3.34.4" "$V/cytoscape-dagre-4.0.1" "$V/yasgui-4.6.2" "$T/axe-core-4.11.0"
cp node_modules/cytoscape/dist/cytoscape.min.js node_modules/cytoscape/LICENSE "$V/cytoscape-3.34.4/"
cp node_modules/cytoscape-dagre/dist/cytoscape-dagre.min.js node_modules/cytoscape-dagre/LICENSE "$V/cytoscape-dagre-4.0.1/"
cp node_modules/@zazuko/yasgui/build/yasgui.min.js node_modules/@zazuko/yasgui/build/yasgui.min.css "$V/yasgui-4.6.2/"
mkdir -p "$V/swagger-ui-dist-5.35.0"
cp node_modules/swagger-ui-dist/{swagger-ui-bundle.js,swagger-ui.css,favicon-32x32.png,LICENSE,NOTICE} "$V/swagger-ui-dist-5.35.0/"
cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE "$T/axe-core-4.11.0/"
