import { chooseLogFormat } from './log-output.js';

describe('chooseLogFormat', () => {
  it('is pretty only for a terminal in development, with pino-pretty installed', () => {
    expect(chooseLogFormat('auto', 'development', true, true)).toBe('pretty');
    expect(chooseLogFormat('auto', 'development', false, true)).toBe('json'); // piped
    expect(chooseLogFormat('auto', 'production', true, true)).toBe('json');
    expect(chooseLogFormat('auto', 'test', true, true)).toBe('json');
    expect(chooseLogFormat('auto', 'development', true, false)).toBe('json'); // no dev packages
  });

  it('follows LOG_FORMAT, except that pretty needs pino-pretty', () => {
    expect(chooseLogFormat('pretty', 'production', false, true)).toBe('pretty');
    expect(chooseLogFormat('pretty', 'production', false, false)).toBe('json');
    expect(chooseLogFormat('json', 'development', true, true)).toBe('json');
  });
});
