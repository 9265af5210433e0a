// A real OpenID Connect provider for the integration tests: npm's
// oidc-provider on a loopback port, with one confidential client (PKCE
// required) and test-controlled accounts. Login and consent finish by
// themselves, so a plain HTTP client can walk the redirects.
//
//   node provider.mjs --port 4010 --redirect-uri http://users.test/api/v1/auth/oidc/callback \
//     [--client-id users-api] [--client-secret …] [--userinfo-claims]
//
// Prints "ready" when listening. Test controls (JSON bodies, answer 204):
//   POST /test/next-login     {sub, email, email_verified?, given_name, family_name}
//                             (email_verified defaults to true; "omit" leaves it out)
//                             the account the next login signs in as (kept for later logins)
//   POST /test/next-id-token  {claims?: {...}, foreign_key?: true}
//                             the next token response's ID token gets these claims
//                             (aud, nonce, exp, …) and/or is signed with a key the
//                             provider does not publish; then back to normal
import http from 'node:http';
import { parseArgs } from 'node:util';

import { SignJWT, decodeJwt, exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string' },
    'redirect-uri': { type: 'string' },
    'client-id': { type: 'string', default: 'users-api' },
    'client-secret': { type: 'string', default: 'users-api-test-secret' },
    'userinfo-claims': { type: 'boolean', default: false },
  },
});
if (!args.port || !args['redirect-uri']) {
  console.error('usage: node provider.mjs --port PORT --redirect-uri URI');
  process.exit(2);
}

// stdout carries "ready" and nothing else (the test stops reading after it);
// oidc-provider's notices go to stderr with everything else.
console.log = console.info = console.warn = console.error;
process.stdout.on('error', () => {});

const issuer = `http://127.0.0.1:${args.port}`;
const KID = 'test-signing-key';
const signing = await generateKeyPair('RS256', { extractable: true });
const foreign = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(signing.privateKey)), kid: KID, alg: 'RS256', use: 'sig' };

/** sub → the claims findAccount serves. */
const accounts = new Map();
let nextLogin = null;
let nextIdToken = null;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: args['client-id'],
      client_secret: args['client-secret'],
      redirect_uris: [args['redirect-uri']],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  jwks: { keys: [jwk] },
  cookies: { keys: ['test-only-cookie-signing-key-0123456789'] },
  pkce: { required: () => true },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['given_name', 'family_name'],
  },
  // false: profile claims go in the ID token (as DfE Sign-in does); with
  // --userinfo-claims only the userinfo endpoint has them.
  conformIdTokenClaims: args['userinfo-claims'],
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const claims = accounts.get(sub);
    if (!claims) return undefined;
    // `email_verified: "omit"` leaves the claim out, as some providers do.
    const served = { sub, email_verified: true, ...claims };
    if (served.email_verified === 'omit') delete served.email_verified;
    return { accountId: sub, claims: async () => served };
  },
});
provider.on('server_error', (ctx, error) => console.error('server_error', error));
provider.on('grant.error', (ctx, error) => console.error('grant.error', error.message));

// Rewrites the ID token of the next token response, when a test asked.
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== '/token' || !nextIdToken || typeof ctx.body?.id_token !== 'string') return;
  const { claims = {}, foreign_key: foreignKey = false } = nextIdToken;
  nextIdToken = null;
  const payload = { ...decodeJwt(ctx.body.id_token), ...claims };
  const key = foreignKey ? foreign.privateKey : signing.privateKey;
  const idToken = await new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' }).sign(key);
  ctx.body = { ...ctx.body, id_token: idToken };
});

/** Finishes login (as the prepared account) and consent (to everything asked). */
async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === 'login') {
    if (!nextLogin) {
      const refusal = { error: 'access_denied', error_description: 'no test login was prepared' };
      return provider.interactionFinished(req, res, refusal);
    }
    return provider.interactionFinished(req, res, { login: { accountId: nextLogin } }, { mergeWithLastSubmission: false });
  }
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
  const missing = details.prompt.details;
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  const grantId = await grant.save();
  return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

async function readJson(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return JSON.parse(text || '{}');
}

const answer = provider.callback();
const server = http.createServer(async (req, res) => {
  try {
    const { pathname } = new URL(req.url, issuer);
    if (req.method === 'POST' && pathname === '/test/next-login') {
      const { sub, ...claims } = await readJson(req);
      accounts.set(sub, claims);
      nextLogin = sub;
      res.writeHead(204).end();
    } else if (req.method === 'POST' && pathname === '/test/next-id-token') {
      nextIdToken = await readJson(req);
      res.writeHead(204).end();
    } else if (req.method === 'GET' && pathname.startsWith('/interaction/')) {
      await interaction(req, res);
    } else {
      answer(req, res);
    }
  } catch (error) {
    console.error(error);
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(String(error));
  }
});
server.listen(Number(args.port), '127.0.0.1', () => process.stdout.write('ready\n'));
