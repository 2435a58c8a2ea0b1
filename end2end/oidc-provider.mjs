// A real OpenID provider for the browser tests, written independently of the portal: the npm
// package oidc-provider, with its development login and consent pages (any password; the login
// is the person's id below). Test people only, with the personal ID number in `so_dinh_danh`.
// Usage: OIDC_PORT=3199 PORTAL_URL=http://127.0.0.1:3100 node oidc-provider.mjs
import Provider from 'oidc-provider';
// oidc-provider's own JOSE library (a dependency it pins), to sign the tokens it spoils below.
import { SignJWT, decodeJwt, exportJWK, generateKeyPair } from 'jose';

const port = Number(process.env.OIDC_PORT || 3199);
const portal = process.env.PORTAL_URL || 'http://127.0.0.1:3100';
const issuer = `http://127.0.0.1:${port}`;

const people = {
  'thu-nghiem-1': {
    so_dinh_danh: '001090088801', name: 'Trần Thị Thử Nghiệm', birthdate: '1990-05-12', phone_number: '0912000881',
    address: { formatted: 'Số 5 phố Lê Lợi, Phường Hoa Lư, Tỉnh Ninh Bình', country: 'VN' },
  },
  // Living outside the demo province: the address is left for the citizen to give.
  'thu-nghiem-2': {
    so_dinh_danh: '001090088802', name: 'Lê Văn Thử Nghiệm', birthdate: '1985-11-02', phone_number: '0912000882',
    address: { formatted: 'Số 1 phố Tràng Tiền, Phường Hoàn Kiếm, Thành phố Hà Nội', country: 'VN' },
  },
  'thu-nghiem-3': { so_dinh_danh: '001090088803', name: 'Phạm Thị Thử Nghiệm', birthdate: '1992-02-03', phone_number: '0912000883' },
  'thu-nghiem-4': { so_dinh_danh: '001090088804', name: 'Hoàng Văn Thử Nghiệm', birthdate: '1979-07-08', phone_number: '0912000884' },
};

// People whose ID token is spoiled on its way to the portal, as a forger or a replay would:
// signed by a key the provider never published, carrying another sign-in's nonce, or expired.
const spoiled = {
  'gia-mao-chu-ky': 'signature',
  'sai-nonce': 'nonce',
  'het-han': 'expired',
};
for (const [n, sub] of Object.keys(spoiled).entries()) {
  people[sub] = { so_dinh_danh: `00109008889${n}`, name: 'Người Thử Giả Mạo', phone_number: `091200089${n}` };
}

const signing = await generateKeyPair('RS256', { extractable: true });
const signingJwk = { ...(await exportJWK(signing.privateKey)), kid: 'e2e-1', alg: 'RS256', use: 'sig' };
const stranger = await generateKeyPair('RS256');

const provider = new Provider(issuer, {
  jwks: { keys: [signingJwk] },
  clients: [{
    client_id: 'mot-cua-e2e',
    client_secret: 'e2e-client-secret',
    redirect_uris: [`${portal}/dang-nhap/dinh-danh/ve`],
    post_logout_redirect_uris: [`${portal}/`],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  claims: { openid: ['sub'], profile: ['name', 'birthdate', 'so_dinh_danh'], phone: ['phone_number'], address: ['address'] },
  // The scopes' claims in the ID token itself, as the portal reads them there.
  conformIdTokenClaims: false,
  findAccount: async (ctx, sub) => people[sub] && { accountId: sub, claims: async () => ({ sub, ...people[sub] }) },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['mot-cua-e2e-provider-cookies'] },
});
provider.use(async (ctx, next) => {
  await next();
  const idToken = ctx.path === '/token' && ctx.body && ctx.body.id_token;
  const spoil = idToken && spoiled[decodeJwt(idToken).sub];
  if (!spoil) return;
  const now = Math.floor(Date.now() / 1000);
  const claims = decodeJwt(idToken);
  if (spoil === 'nonce') claims.nonce = 'nonce-of-another-sign-in';
  if (spoil === 'expired') Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
  const key = spoil === 'signature' ? stranger.privateKey : signing.privateKey;
  const token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'e2e-1' }).sign(key);
  ctx.body = { ...ctx.body, id_token: token };
});

provider.listen(port, '127.0.0.1', () => console.log(`OpenID provider for the tests at ${issuer}`));
