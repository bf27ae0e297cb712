// Lets a child process run the TypeScript sources directly, transpiled per file as ts-jest does
// with isolatedModules (no type check): `node -r ./test/scaleout/child/ts-register.js file.ts`.
const fs = require('node:fs');
const ts = require('typescript');

const { config } = ts.readConfigFile(require.resolve('../../../tsconfig.json'), ts.sys.readFile);
const compilerOptions = {
  ...ts.convertCompilerOptionsFromJson(config.compilerOptions, process.cwd()).options,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  sourceMap: false,
  inlineSourceMap: true,
};

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};
require('reflect-metadata');
