// Writes shared/proto-descriptor.json: the .proto compiled once, so no process parses .proto text at start
// (and a bundled agent carries no .proto file). Run by `npm run gen:proto`; a unit test checks it is current.
const protobuf = require('protobufjs');
const fs = require('node:fs');
const path = require('node:path');
const root = path.resolve(__dirname, '..');
const json = protobuf.loadSync(path.join(root, 'proto/zkfleet.proto')).toJSON({ keepComments: false });
fs.writeFileSync(path.join(root, 'shared/proto-descriptor.json'), JSON.stringify(json, null, 1) + '\n');
