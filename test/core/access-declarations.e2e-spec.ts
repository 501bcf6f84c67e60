import { RequestMethod, type Type } from '@nestjs/common';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import { ACCESS_KEY, NEST_METHOD_METADATA, NEST_PATH_METADATA } from '#porch/core';
import { AppModule } from '../../apps/api/src/app.module.js';

/** STYLE habit 2: every route declares who may call it; a route that declares nothing fails here. */
describe('route permissions', () => {
  it('every route of every controller declares an access level', async () => {
    const app = await NestFactory.create(AppModule, { preview: true, logger: false });
    const routes: string[] = [];
    const undeclared: string[] = [];
    for (const module of app.get(ModulesContainer).values()) {
      for (const wrapper of module.controllers.values()) {
        const controller = wrapper.metatype as Type<unknown>;
        const proto = controller.prototype as Record<string, unknown>;
        for (const name of Object.getOwnPropertyNames(proto)) {
          const handler = proto[name];
          if (name === 'constructor' || typeof handler !== 'function') continue;
          if (Reflect.getMetadata(NEST_PATH_METADATA, handler) === undefined) continue;
          const method =
            RequestMethod[Reflect.getMetadata(NEST_METHOD_METADATA, handler) as number];
          const route = `${method} ${controller.name}.${name}`;
          routes.push(route);
          if (
            !Reflect.getMetadata(ACCESS_KEY, handler) &&
            !Reflect.getMetadata(ACCESS_KEY, controller)
          )
            undeclared.push(route);
        }
      }
    }
    await app.close();
    expect(routes.length).toBeGreaterThan(0);
    expect(undeclared).toEqual([]);
  });
});
