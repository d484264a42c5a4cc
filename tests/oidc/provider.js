// Local OpenID Connect provider for the ProConnect end-to-end test (tests/comptes/test_proconnect.py).
// A real oidc-provider (npm), with its development login pages: any login is accepted and becomes the
// account's e-mail claim. Configuration from the environment, written by the test.
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_CLIENT_ID,
      client_secret: process.env.OIDC_CLIENT_SECRET,
      redirect_uris: [process.env.OIDC_REDIRECT_URI],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_post',
      id_token_signed_response_alg: 'RS256',
    },
  ],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    given_name: ['given_name'],
    usual_name: ['usual_name'],
  },
  findAccount: async (ctx, id) => ({
    accountId: id,
    async claims() {
      return { sub: id, email: id, email_verified: true, given_name: 'Camille', usual_name: 'Agent' };
    },
  }),
  cookies: { keys: ['ceres-test-only'] },
  pkce: { required: () => false },
  features: { devInteractions: { enabled: true } },
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider prêt sur ${issuer}`);
});
