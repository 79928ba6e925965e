// Development tokens (HS256) for the development issuer configured in functions/local.settings.json.
// Used by scripts/dev-token and scripts/demo.mjs. In Azure the app trusts Microsoft Entra ID instead.
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

function loadSettings(file) {
  file = file || process.env.REPORTING_LOCAL_SETTINGS || path.join(__dirname, '..', '..', 'functions', 'local.settings.json');
  let values;
  try {
    values = JSON.parse(fs.readFileSync(file, 'utf8')).Values;
  } catch (e) {
    throw new Error(`cannot read ${file}: run scripts/run-local.sh once (it creates it from local.settings.sample.json)`);
  }
  const key = Buffer.from(values.Auth__DevSigningKey || '', 'base64');
  if (key.length < 32) throw new Error(`${file} has no Auth__DevSigningKey of at least 32 bytes`);
  return { issuer: values.Auth__Issuer, audience: values.Auth__Audience, key };
}

function mint(role, agency, settings = loadSettings()) {
  if (!['agency', 'staff', 'admin'].includes(role) || (role === 'agency' && !agency)) {
    throw new Error('usage: dev-token agency <CODE> | staff | admin   (CODE: MEXT, CAO, METI, JPO)');
  }
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: settings.issuer,
    aud: settings.audience,
    sub: role === 'agency' ? `dev-${agency.toLowerCase()}` : `dev-${role}`,
    name: role === 'agency' ? `${agency.toUpperCase()} 担当者 (dev)` : `${role} (dev)`,
    roles: [role],
    iat: now,
    nbf: now,
    exp: now + 8 * 3600,
  };
  if (role === 'agency') claims.agency = agency.toUpperCase();
  const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${unsigned}.${crypto.createHmac('sha256', settings.key).update(unsigned).digest('base64url')}`;
}

module.exports = { loadSettings, mint };
