// The yardstick of issue 9: a bare `node:http` + `pg` server that answers the measured read
// endpoints with the SQL a hand-written service would send, and nothing else (no logging, rate
// limit, validation or security headers). Run by `npm run bench` on the same machine, dataset and
// load as Porch, so the two are compared here rather than against figures from another machine.
//   node bench/baseline.mjs   (PORT, DATABASE_URL)
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

const send = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
};

async function fsa(res, code) {
  const { rows } = await pool.query(
    `select f.fsa, p.geo_code, p.alpha_code, p.name_en as p_name_en, p.name_fr as p_name_fr,
            h.hr_uid, h.name_en, h.name_fr, h.short_name_en, h.short_name_fr, f.estimated_population
       from fsa_health_region f
       join health_region h on h.hr_uid = f.hr_uid
       join province p on p.geo_code = f.province_geo_code
      where f.fsa = $1 order by h.hr_uid`,
    [code.toUpperCase()],
  );
  if (!rows.length) return send(res, 404, { status: 404 });
  const total = rows.reduce((n, r) => n + (r.estimated_population ?? 0), 0);
  const p = rows[0];
  send(res, 200, {
    fsa: p.fsa,
    province: {
      geoCode: p.geo_code,
      alphaCode: p.alpha_code,
      nameEn: p.p_name_en,
      nameFr: p.p_name_fr,
    },
    healthRegions: rows.map((r) => ({
      hrUid: r.hr_uid,
      nameEn: r.name_en,
      nameFr: r.name_fr,
      shortNameEn: r.short_name_en,
      shortNameFr: r.short_name_fr,
      estimatedPopulation: r.estimated_population,
      share: total ? (r.estimated_population ?? 0) / total : null,
    })),
  });
}

/** A DRF-style page (count, next, previous, results), as Porch pages. */
const page = (rows) => ({
  count: rows[0]?.total ?? 0,
  next: null,
  previous: null,
  results: rows.map(({ total: _total, ...row }) => row),
});

async function healthRegions(res, url) {
  const limit = Number(url.searchParams.get('limit') ?? 20);
  const offset = Number(url.searchParams.get('offset') ?? 0);
  const { rows } = await pool.query(
    `select hr_uid, province_geo_code, name_en, name_fr, short_name_en, short_name_fr, population,
            website_en, website_fr, count(*) over()::int as total
       from health_region order by hr_uid limit $1 offset $2`,
    [limit, offset],
  );
  send(res, 200, page(rows));
}

async function provinces(res, url) {
  const limit = Number(url.searchParams.get('limit') ?? 20);
  const offset = Number(url.searchParams.get('offset') ?? 0);
  const { rows } = await pool.query(
    `select geo_code, alpha_code, name_en, name_fr, region_en, region_fr, count(*) over()::int as total
       from province order by geo_code limit $1 offset $2`,
    [limit, offset],
  );
  send(res, 200, page(rows));
}

async function invites(req, res, status) {
  const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (!token) return send(res, 401, { status: 401 });
  const auth = await pool.query(
    `select u.id from auth_tokens t join users u on u.id = t.user_id
      where t.token_hash = $1 and t.kind = 'access' and t.revoked_at is null and t.expires_at > now()
        and u.is_active and u.deleted_at is null`,
    [createHash('sha256').update(token).digest('hex')],
  );
  if (!auth.rows.length) return send(res, 401, { status: 401 });
  const { rows } = await pool.query(
    `select i.id, i.status, i.plus_ones, i.responded_at, i.created_at, i.updated_at,
            g.id as guest_id, g.name as guest_name, g.photo_hash as guest_photo_hash,
            p.id as party_id, p.flat, p.first_entry, p.last_entry, p.vibe,
            h.id as host_id, h.name as host_name, h.photo_hash as host_photo_hash,
            count(*) over()::int as total
       from invites i
       join parties p on p.id = i.party_id and p.deleted_at is null
       join users h on h.id = p.host_id and h.deleted_at is null
       join users g on g.id = i.guest_id and g.deleted_at is null
      where i.guest_id = $1 and i.status = $2 and p.last_entry > $3
      order by p.first_entry, i.id limit 20 offset 0`,
    [auth.rows[0].id, status, new Date()],
  );
  send(res, 200, {
    count: rows[0]?.total ?? 0,
    results: rows.map(({ total: _total, ...row }) => row),
  });
}

createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const fsaMatch = /^\/api\/v1\/fsa\/([^/]+)$/.exec(url.pathname);
  const handled = fsaMatch
    ? fsa(res, decodeURIComponent(fsaMatch[1]))
    : url.pathname === '/api/v1/health-regions'
      ? healthRegions(res, url)
      : url.pathname === '/api/v1/provinces'
        ? provinces(res, url)
        : url.pathname === '/api/v1/invites'
          ? invites(req, res, url.searchParams.get('status') ?? 'invited')
          : url.pathname === '/health/ready'
            ? pool.query('select 1').then(() => send(res, 200, { status: 'ok' }))
            : Promise.resolve(send(res, 404, { status: 404 }));
  handled.catch((e) => send(res, 500, { status: 500, detail: e.message }));
}).listen(Number(process.env.PORT), '127.0.0.1');
