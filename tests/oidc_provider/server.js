// A local OpenID provider for the portal's SSO tests: node's oidc-provider with its development
// login pages (any login name, any password), in-memory storage and development keys.
// Accounts: the login name is the account; its email is the name (with @example.test added when
// it has no @). A name that starts with "mfa-" gets the claim portal_amr = ["pwd", "mfa"]: the
// provider says it did multi-factor. Configuration from the environment (see the pytest fixture).
import Provider from "oidc-provider";

const port = Number(process.env.OIDC_PORT || 9099);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_CLIENT_ID || "ketenportaal",
      client_secret: process.env.OIDC_CLIENT_SECRET || "test-secret",
      redirect_uris: [process.env.OIDC_REDIRECT_URI],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_post",
    },
  ],
  claims: { openid: ["sub"], email: ["email", "email_verified", "portal_amr"] },
  // The claims of the granted scopes go into the ID token too, where the portal reads portal_amr.
  conformIdTokenClaims: false,
  pkce: { required: () => false },
  async findAccount(ctx, id) {
    const email = id.includes("@") ? id : `${id}@example.test`;
    return {
      accountId: id,
      async claims() {
        const claims = { sub: id, email, email_verified: true };
        if (id.startsWith("mfa-")) claims.portal_amr = ["pwd", "mfa"];
        return claims;
      },
    };
  },
});
provider.proxy = false;
provider.listen(port, "127.0.0.1", () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
