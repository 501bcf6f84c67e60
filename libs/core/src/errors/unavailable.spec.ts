import { DriverException } from '@mikro-orm/core';
import { isUnavailableError } from './unavailable.js';
import { toProblem } from './problem.filter.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isUnavailableError', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED')],
    [
      'pg_terminate_backend (57P01)',
      withCode('57P01', 'terminating connection due to administrator command'),
    ],
    ['a server starting up (57P03)', withCode('57P03')],
    ['a connection exception (08006)', withCode('08006')],
    ['too many connections (53300)', withCode('53300')],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    [
      'a full pool',
      Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), {
        name: 'KnexTimeoutError',
      }),
    ],
    [
      'Redis without a connection',
      new Error("Stream isn't writeable and enableOfflineQueue options is false"),
    ],
    ['wrapped by MikroORM', new DriverException(withCode('57P01'))],
    ['as a cause', new Error('outer', { cause: withCode('ECONNRESET') })],
  ])('knows %s', (_, error) => {
    expect(isUnavailableError(error)).toBe(true);
    expect(toProblem(error)).toMatchObject({ status: 503, title: 'Service unavailable' });
  });

  it.each([
    ['a unique violation', withCode('23505')],
    ['bad text (22021)', withCode('22021')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['nothing', undefined],
  ])('leaves %s alone', (_, error) => {
    expect(isUnavailableError(error)).toBe(false);
  });
});
