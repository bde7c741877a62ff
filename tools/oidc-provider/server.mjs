// An OpenID provider configured like ProConnect, for Mutualis's end-to-end login tests.
//
// It is panva's certified `oidc-provider` (npm), set up as ProConnect answers a service
// provider: authorization code flow with PKCE (S256), `state` and `nonce`, ID token and
// userinfo signed in RS256 (the userinfo is a JWT), ProConnect's scopes and claims (siret,
// usual_name, given_name, idp_id, uid…), `amr` in the ID token, RP-initiated logout.
//
// Usage: node server.mjs '<json>' with
//   {"issuer": "http://127.0.0.1:8043", "port": 8043,
//    "clients": [{"client_id": "…", "client_secret": "…", "redirect_uris": [...],
//                 "post_logout_redirect_uris": [...]}],
//    "accounts": {"<login>": {"email": "…", "siret": "…", …, "amr": ["pwd"]}}}
// The login page (/interaction/<uid>) is a form with one field, `login`: the account's key.
// Consent is given automatically, as ProConnect does for its service providers.
// Prints "ready <port>" once it listens. Keys are new at each start (RSA 2048).
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(process.argv[2]);
const accounts = config.accounts;

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256', kid: config.kid || `key-${config.port}` };

const provider = new Provider(config.issuer, {
  clients: config.clients.map((client) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
    id_token_signed_response_alg: 'RS256',
    userinfo_signed_response_alg: 'RS256',
    ...client,
  })),
  jwks: { keys: [jwk] },
  // ProConnect's scopes, each giving the claim of the same name.
  claims: {
    openid: ['sub', 'amr', 'acr'],
    email: ['email'],
    given_name: ['given_name'],
    usual_name: ['usual_name'],
    uid: ['uid'],
    siret: ['siret'],
    siren: ['siren'],
    idp_id: ['idp_id'],
    idp_acr: ['idp_acr'],
    organizational_unit: ['organizational_unit'],
    belonging_population: ['belonging_population'],
    phone: ['phone'],
  },
  acrValues: ['eidas1', 'eidas2', 'eidas3'],
  features: {
    devInteractions: { enabled: false },
    jwtUserinfo: { enabled: true },
    claimsParameter: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  pkce: { required: () => true },
  cookies: { keys: ['mutualis-test-provider-cookie-key'] },
  findAccount: async (ctx, id) => {
    const account = accounts[id];
    if (!account) return undefined;
    return {
      accountId: id,
      claims: async () => {
        const { amr, acr, ...claims } = account;
        return { sub: id, ...claims };
      },
    };
  },
  renderError: async (ctx, out) => {
    ctx.type = 'html';
    ctx.body = `<!doctype html><title>Erreur</title><p id="error">${out.error}: ${out.error_description || ''}</p>`;
  },
});

function read(req) {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => resolve(new URLSearchParams(body)));
  });
}

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const { uid, prompt, params, session } = details;
  if (prompt.name === 'login') {
    if (req.method === 'POST') {
      const login = (await read(req)).get('login');
      const account = accounts[login];
      if (!account) {
        res.writeHead(400, { 'content-type': 'text/html' });
        res.end('<p id="error">unknown account</p>');
        return;
      }
      const result = { login: { accountId: login, amr: account.amr || ['pwd'], acr: account.acr || 'eidas1' } };
      await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><title>Connexion</title><form method="post" action="/interaction/${uid}">
<label>Compte <input name="login"></label><button>Se connecter</button></form>`);
    return;
  }
  // consent: granted at once, for the scopes and claims asked.
  const grant = new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  grant.addOIDCScope(params.scope);
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

const handle = provider.callback();
const server = createServer((req, res) => {
  if (req.url.startsWith('/interaction/')) {
    interaction(req, res).catch((error) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
    return;
  }
  handle(req, res);
});
server.listen(config.port, '127.0.0.1', () => {
  process.stdout.write(`ready ${config.port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
