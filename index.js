// Package entry. n8n loads the nodes and credentials listed in package.json's "n8n" section from dist/;
// this file only lets `require('n8n-nodes-bitrix24-chat')` resolve.
module.exports = {};
