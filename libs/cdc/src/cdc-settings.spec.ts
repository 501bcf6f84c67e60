import { loadConfig } from '#porch/core';
import { cdcSettings } from './cdc-settings.js';

const settings = (env: Record<string, string> = {}) =>
  cdcSettings(loadConfig(env), 'postgres://db/porch');

describe('CDC settings', () => {
  it('captures every table but the bookkeeping and the admin sessions, by default', () => {
    const s = settings();
    expect(s.capturesTable('public', 'users')).toBe(true);
    expect(s.capturesTable('public', 'mikro_orm_migrations')).toBe(false);
    expect(s.capturesTable('public', 'admin_session')).toBe(false);
    expect(s.capturesTable('public', 'idempotency_keys')).toBe(false);
    expect(s.offsetKey).toBe('metadata:cdc:porch:porch_cdc');
    expect(s.replicaIdentityFull).toEqual(
      new Set([
        'public.users',
        'public.parties',
        'public.invites',
        'public.groups',
        'public.group_members',
        'public.devices',
      ]),
    );
  });

  it('never sends a secret column, even when an include list names it', () => {
    const s = settings({
      CDC_COLUMN_INCLUDE_LIST: 'public\\.users\\..*,public\\.auth_tokens\\..*',
      CDC_TABLE_INCLUDE_LIST: '.*',
    });
    expect(s.sendsColumn('public', 'users', 'email')).toBe(true);
    expect(s.sendsColumn('public', 'users', 'password')).toBe(false);
    expect(s.sendsColumn('public', 'auth_tokens', 'token_hash')).toBe(false);
    expect(s.sendsColumn('public', 'password_reset_codes', 'salt')).toBe(false); // not included at all
    expect(s.capturesTable('public', 'admin_session')).toBe(false);
    expect(settings().sendsColumn('public', 'users', 'photo')).toBe(false);
    expect(
      settings({ CDC_COLUMN_EXCLUDE_LIST: 'public.tasks.user_answer' }).sendsColumn(
        'public',
        'users',
        'photo',
      ),
    ).toBe(true);
  });

  it('matches whole identifiers, ignoring case, as Debezium does', () => {
    const s = settings({
      CDC_TABLE_INCLUDE_LIST: 'public\\.(users|parties)',
      CDC_TABLE_EXCLUDE_LIST: 'PUBLIC.PARTIES',
    });
    expect(s.capturesTable('public', 'users')).toBe(true);
    expect(s.capturesTable('public', 'users_archive')).toBe(false);
    expect(s.capturesTable('public', 'parties')).toBe(false);
  });

  it('refuses bad CDC variables at start, naming them', () => {
    expect(() => loadConfig({ CDC_TABLE_INCLUDE_LIST: 'public.(users' })).toThrow(
      /CDC_TABLE_INCLUDE_LIST: "public.\(users" is not a regular expression/,
    );
    expect(() => loadConfig({ CDC_SLOT_NAME: 'Bad-Slot' })).toThrow(/CDC_SLOT_NAME/);
    expect(() => loadConfig({ CDC_REDIS_URL: 'not a url' })).toThrow(
      /CDC_REDIS_URL: must be a URL/,
    );
    expect(() => loadConfig({ CDC_MESSAGE_FORMAT: 'fancy' })).toThrow(/CDC_MESSAGE_FORMAT/);
    expect(settings({ REDIS_URL: 'redis://r:6379' }).redisUrl).toBe('redis://r:6379');
    expect(
      settings({ REDIS_URL: 'redis://r:6379', CDC_REDIS_URL: 'redis://cdc:6379' }).redisUrl,
    ).toBe('redis://cdc:6379');
  });
});
