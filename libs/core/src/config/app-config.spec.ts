import { ConfigError, loadConfig, trustProxyWarning } from './app-config.js';

describe('loadConfig', () => {
  it('has working defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.NODE_ENV).toBe('development');
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.RATE_LIMIT_PER_MINUTE).toBe(1000);
    expect(config.CORS_ORIGINS).toEqual([]);
  });

  it('requires verified emails in production unless told otherwise, and nowhere else by default', () => {
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/porch' };
    const secret = { SESSION_SECRET: 'x'.repeat(32) };
    expect(loadConfig({}).REQUIRE_VERIFIED_EMAIL).toBe(false);
    expect(loadConfig({ REQUIRE_VERIFIED_EMAIL: 'true' }).REQUIRE_VERIFIED_EMAIL).toBe(true);
    expect(loadConfig({ ...production, ...secret }).REQUIRE_VERIFIED_EMAIL).toBe(true);
    expect(
      loadConfig({ ...production, ...secret, REQUIRE_VERIFIED_EMAIL: 'false' })
        .REQUIRE_VERIFIED_EMAIL,
    ).toBe(false);
    expect(() => loadConfig({ REQUIRE_VERIFIED_EMAIL: 'maybe' })).toThrow(/REQUIRE_VERIFIED_EMAIL/);
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

  it('names a bad secret variable but never prints its value', () => {
    const secrets = {
      SESSION_SECRET: 'short-but-secret-value',
      DATABASE_URL: 'postgres://porch:s3cr3t-db-password@db:5432/porch with spaces',
      REDIS_URL: 'redis://:s3cr3t-redis@',
      ADMIN_PASSWORD: 'x'.repeat(300),
    };
    let message = '';
    try {
      loadConfig(secrets);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/SESSION_SECRET: .*32 characters \(value not shown\)/);
    expect(message).toMatch(/ADMIN_PASSWORD: .*256 characters \(value not shown\)/);
    for (const value of Object.values(secrets)) expect(message).not.toContain(value);
    expect(message).not.toMatch(/s3cr3t|short-but/);
    // Other variables still show what was given, which helps.
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT: .*\(got "eighty"\)/);
  });

  it('checks TRUST_PROXY: a hop count, addresses or subnets; `true` earns a warning', () => {
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe('1');
    expect(() =>
      loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8, 192.168.0.0/255.255.0.0, fd00::/8' }),
    ).not.toThrow();
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33, nginx' })).toThrow(
      /TRUST_PROXY: "10.0.0.0\/33"[\s\S]*TRUST_PROXY: "nginx"/,
    );
    expect(trustProxyWarning(loadConfig({ TRUST_PROXY: 'true' }))).toMatch(/spoof/);
    expect(trustProxyWarning(loadConfig({ TRUST_PROXY: '1' }))).toBeUndefined();
  });

  it('wants SMTP_URL with the smtp transport, and a long session secret', () => {
    expect(() => loadConfig({ MAIL_TRANSPORT: 'smtp' })).toThrow(/SMTP_URL/);
    expect(() => loadConfig({ SESSION_SECRET: 'short' })).toThrow(/SESSION_SECRET/);
  });
});
