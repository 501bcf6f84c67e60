// ts-jest AST transformer: applies the @nestjs/swagger CLI plugin in tests, as `nest build` does.
// With `module: nodenext` the plugin adds `import openapi = require(...)`, which ts-jest's ESM emit
// drops; presenting the program as ESNext makes it add `import * as openapi from ...` instead.
const ts = require('typescript');
const plugin = require('@nestjs/swagger/plugin');
const options = require('../nest-cli.json').compilerOptions.plugins.find(
  (p) => p.name === '@nestjs/swagger',
).options;

module.exports = {
  name: 'nestjs-swagger-transformer',
  version: 2,
  factory: (cs) => {
    const program = cs.program;
    const esm = new Proxy(program, {
      get(target, key) {
        if (key === 'getCompilerOptions')
          return () => ({ ...target.getCompilerOptions(), module: ts.ModuleKind.ESNext });
        const value = target[key];
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    return plugin.before(options, esm);
  },
};
