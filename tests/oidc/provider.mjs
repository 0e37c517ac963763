// A real OpenID provider for the staff sign-in tests: panva's oidc-provider on 127.0.0.1.
//
//   node provider.mjs            listens on a free loopback port and prints "listening <issuer>"
//
// The tests steer it over /_test/* (JSON POSTs, loopback only):
//   /_test/setup   {client_id, client_secret, redirect_uris, post_logout_redirect_uris,
//                   accounts: {sub: {claims}}, auto_login: sub | null, deny: bool, tamper: {...} | null}
//   /_test/rotate  a new signing key replaces the old one (the old stays published only if keep_old)
// auto_login signs that account in at once; null shows a sign-in page (pick the account, press the button);
// deny answers the app with access_denied, as a person who cancels at the provider.
// tamper rewrites the next ID tokens the token endpoint returns, signed again with the provider's own
// key (aud, nonce, exp, iss) or with a key it never published (foreign_key): a provider that misbehaves.
import crypto from 'node:crypto';
import http from 'node:http';

import * as jose from 'jose';
import Provider from 'oidc-provider';

const state = {
  setup: { client_id: 'wizard', client_secret: 'unset', redirect_uris: ['http://127.0.0.1/cb'],
    post_logout_redirect_uris: [], accounts: {}, auto_login: null, tamper: null },
  keys: [newKey()],
  issuer: '',
};
let handler; // the current provider's request handler (rebuilt on setup and rotation)

function newKey() {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: crypto.randomUUID(), alg: 'RS256', use: 'sig' };
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function build() {
  const { setup } = state;
  const made = new Provider(state.issuer, {
    clients: [{
      client_id: setup.client_id,
      client_secret: setup.client_secret,
      redirect_uris: setup.redirect_uris,
      post_logout_redirect_uris: setup.post_logout_redirect_uris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    jwks: { keys: state.keys },
    pkce: { methods: ['S256'], required: () => true },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    claims: { openid: ['sub', 'tid', 'roles', 'groups'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
    conformIdTokenClaims: false, // the ID token carries the scopes' claims (as Entra ID's does)
    cookies: { keys: ['test-provider-cookie-key'] },
    async findAccount(ctx, sub) {
      const claims = state.setup.accounts[sub];
      if (!claims) return undefined;
      return { accountId: sub, claims: async () => ({ ...claims, sub }) };
    },
    async loadExistingGrant(ctx) { // a first-party client: consent is implied
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      grant.addOIDCClaims(['sub', 'tid', 'roles', 'groups', 'email', 'email_verified', 'name', 'preferred_username']);
      await grant.save();
      return grant;
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  });
  made.use(interactions(made));
  made.use(tamperTokens);
  return made;
}

function interactions(made) {
  return async (ctx, next) => {
    const match = ctx.path.match(/^\/interaction\/([\w-]+)(\/login)?$/);
    if (!match) return next();
    const details = await made.interactionDetails(ctx.req, ctx.res);
    let accountId = state.setup.auto_login;
    if (match[2] && ctx.method === 'POST') {
      accountId = new URLSearchParams(await readBody(ctx.req)).get('account');
    }
    if (accountId || state.setup.deny) {
      const result = state.setup.deny ? { error: 'access_denied', error_description: 'The person declined to sign in' }
        : { login: { accountId } };
      const url = await made.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
      ctx.status = 303;
      ctx.redirect(url);
      return undefined;
    }
    const options = Object.keys(state.setup.accounts)
      .map((sub) => `<option value="${escapeHtml(sub)}">${escapeHtml(sub)}</option>`).join('');
    ctx.type = 'html';
    ctx.body = `<!doctype html><html lang="en"><head><title>Test provider: sign in</title></head><body><main>
<h1>Test provider: sign in</h1>
<form method="post" action="/interaction/${escapeHtml(details.uid)}/login">
<label for="account">Account</label> <select id="account" name="account">${options}</select>
<button type="submit">Sign in at the provider</button></form></main></body></html>`;
    return undefined;
  };
}

async function tamperTokens(ctx, next) {
  await next();
  const tamper = state.setup.tamper;
  if (!tamper || ctx.path !== '/token' || ctx.status !== 200 || !ctx.body?.id_token) return;
  const [header] = ctx.body.id_token.split('.');
  const payload = jose.decodeJwt(ctx.body.id_token);
  const now = Math.floor(Date.now() / 1000);
  if (tamper.aud) payload.aud = tamper.aud;
  if (tamper.nonce) payload.nonce = tamper.nonce;
  if (tamper.iss) payload.iss = tamper.iss;
  if (tamper.expired) { payload.iat = now - 7200; payload.exp = now - 3600; }
  const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
  const jwk = tamper.foreign_key ? { ...newKey(), kid } : state.keys.find((key) => key.kid === kid);
  const key = await jose.importJWK(jwk, 'RS256');
  ctx.body = { ...ctx.body, id_token: await new jose.SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(key) };
}

async function control(req, res) {
  const body = JSON.parse((await readBody(req)) || '{}');
  if (req.url === '/_test/setup') {
    state.setup = { ...state.setup, ...body };
  } else if (req.url === '/_test/rotate') {
    state.keys = body.keep_old ? [newKey(), ...state.keys] : [newKey()];
  } else {
    res.writeHead(404).end();
    return;
  }
  handler = build().callback();
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ kids: state.keys.map((k) => k.kid) }));
}

const server = http.createServer((req, res) => {
  if (req.url.startsWith('/_test/') && req.method === 'POST') {
    control(req, res).catch((error) => res.writeHead(500).end(String(error)));
    return;
  }
  handler(req, res);
});
server.listen(0, '127.0.0.1', () => {
  state.issuer = `http://127.0.0.1:${server.address().port}`;
  handler = build().callback();
  console.log(`listening ${state.issuer}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
