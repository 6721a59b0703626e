#!/usr/bin/env bash
# Re-create src/termgraph/web/static/vendor from the npm registry at the versions pinned in
# frontend/package.json (the files are committed, so nothing is fetched at run time).
set -euo pipefail
cd "$(dirname "$0")/../frontend"
npm install --no-audit --no-fund --ignore-scripts
V=../src/termgraph/web/static/vendor
cp node_modules/cytoscape/dist/cytoscape.min.js node_modules/cytoscape/LICENSE "$V/cytoscape-3.34.4/"
cp node_modules/@zazuko/yasgui/build/yasgui.min.js node_modules/@zazuko/yasgui/build/yasgui.min.css "$V/yasgui-4.6.2/"
mkdir -p "$V/swagger-ui-dist-5.35.0"
cp node_modules/swagger-ui-dist/{swagger-ui-bundle.js,swagger-ui.css,favicon-32x32.png,LICENSE,NOTICE} "$V/swagger-ui-dist-5.35.0/"
