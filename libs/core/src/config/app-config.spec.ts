import { ConfigError, loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('has working defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.NODE_ENV).toBe('development');
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.RATE_LIMIT_PER_MINUTE).toBe(1000);
    expect(config.CORS_ORIGINS).toEqual([]);
  });

  it('converts numbers, booleans and lists', () => {
    const config = loadConfig({
      PORT: '8080',
      DEMO_DATA: 'false',
      CORS_ORIGINS: 'https://a.example, https://b.example',
    });
    expect(config.PORT).toBe(8080);
    expect(config.DEMO_DATA).toBe(false);
    expect(config.CORS_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
  });

  it('names every bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'not a url' });
    } catch (e) {
      const message = (e as Error).message;
      expect(message).toContain('PORT');
      expect(message).toContain('LOG_LEVEL');
      expect(message).toContain('DATABASE_URL');
      const named = new Set((e as ConfigError).problems.map((p) => p.split(':')[0]));
      expect([...named].sort()).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT']);
    }
  });

  it('checks the shutdown settings: defaults, bounds, a drain shorter than the deadline', () => {
    const config = loadConfig({});
    expect([config.SHUTDOWN_DRAIN_MS, config.SHUTDOWN_TIMEOUT_MS]).toEqual([5000, 25000]);
    expect(config.RATE_LIMIT_PER_IP_PER_MINUTE).toBe(5000);
    expect(() => loadConfig({ SHUTDOWN_DRAIN_MS: '30000' })).toThrow(
      /SHUTDOWN_DRAIN_MS: must be shorter than SHUTDOWN_TIMEOUT_MS/,
    );
    expect(() => loadConfig({ SHUTDOWN_TIMEOUT_MS: '10' })).toThrow(/SHUTDOWN_TIMEOUT_MS/);
    expect(() => loadConfig({ RATE_LIMIT_PER_IP_PER_MINUTE: '0' })).toThrow(
      /RATE_LIMIT_PER_IP_PER_MINUTE/,
    );
    expect(loadConfig({ SHUTDOWN_DRAIN_MS: '0' }).SHUTDOWN_DRAIN_MS).toBe(0);
  });

  it('refuses production without DATABASE_URL and SESSION_SECRET', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /DATABASE_URL[\s\S]*SESSION_SECRET/,
    );
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://db/porch',
        SESSION_SECRET: 'x'.repeat(40),
      }),
    ).not.toThrow();
  });

  it('wants SMTP_URL with the smtp transport, and a long session secret', () => {
    expect(() => loadConfig({ MAIL_TRANSPORT: 'smtp' })).toThrow(/SMTP_URL/);
    expect(() => loadConfig({ SESSION_SECRET: 'short' })).toThrow(/SESSION_SECRET/);
  });
});
