import { hasCredentialUrl, isSecretName, nameWords, redactUrl, secretLinesIn, secretLiteralReason } from '../../lib/ir/secrets';

describe('secret detection', () => {
  test('names that hold secrets', () => {
    for (const n of ['DB_PASSWORD', 'password', 'dbPassword', 'SECRET_KEY_BASE', 'API_KEY', 'apiKey', 'GITHUB_TOKEN', 'aws.secret', 'RABBITMQ_DEFAULT_PASS', 'MYSQL_ROOT_PASSWORD', 'SA_PASSWORD', 'private-key']) {
      expect([n, isSecretName(n)]).toEqual([n, true]);
    }
  });

  test('names that describe a secret without holding it, or are unrelated', () => {
    for (const n of ['TOKEN_URL', 'SSH_KEY_PATH', 'PASSWORD_MIN_LENGTH', 'SECRET_NAME', 'MONKEY', 'PASSENGER_PORT', 'KEYCLOAK_URL', 'LOG_LEVEL', 'RAILS_ENV', '']) {
      expect([n, isSecretName(n)]).toEqual([n, false]);
    }
  });

  test('names that END in a secret word, written as one word, hold secrets too', () => {
    for (const n of ['PGPASSWORD', 'MYSQL_ROOTPASSWORD', 'ldapPasswd', 'GHTOKEN', 'authtoken', 'CLIENTSECRET', 'STRIPEAPIKEY', 'awsSecretkey', 'AWS_SECRETACCESSKEY', 'gpgpassphrase', 'dbCredentials']) {
      expect([n, isSecretName(n)]).toEqual([n, true]);
    }
    // Only the long, unambiguous words count as endings: MONKEY, BYPASS and OLDPWD are not secrets.
    for (const n of ['MONKEY', 'BYPASS', 'COMPASS', 'OLDPWD', 'HOTKEY', 'PGPASSFILE', 'PGPASSWORD_FILE', 'AUTHTOKEN_URL']) {
      expect([n, isSecretName(n)]).toEqual([n, false]);
    }
    expect(secretLiteralReason('PGPASSWORD', 'hunter2')).toBe('is named like a secret and has a literal value');
  });

  test('a password containing @ is redacted up to the last @ before the host', () => {
    expect(redactUrl('postgres://u:p@ss@db/x')).toBe('postgres://u:***@db/x');
    expect(redactUrl('--db=mysql://root:a@b@c@mysql:3306/app --cache=redis://:x@y@redis')).toBe('--db=mysql://root:***@mysql:3306/app --cache=redis://:***@redis');
    expect(hasCredentialUrl('postgres://u:p@ss@db/x')).toBe(true);
    expect(secretLiteralReason('DATABASE_URL', 'postgres://app:hun@ter2@db/app')).toBe('holds a URL with a password (postgres://app:***@db/app)');
    expect(hasCredentialUrl('postgres://u:$(DB_PASSWORD)@h/db')).toBe(false);
  });

  test('splits camelCase and separators into words', () => {
    expect(nameWords('dbPassword.v2-key')).toEqual(['db', 'password', 'v2', 'key']);
  });

  test('URLs with a password, and references that are not literals', () => {
    expect(hasCredentialUrl('postgres://u:p@h/db')).toBe(true);
    expect(hasCredentialUrl('--db=mysql://root:secret@mysql:3306/app')).toBe(true);
    expect(hasCredentialUrl('postgres://u@h/db')).toBe(false);
    expect(hasCredentialUrl('https://example.com:8443/x')).toBe(false);
    expect(hasCredentialUrl('postgres://u:$(DB_PASSWORD)@h/db')).toBe(false);
    expect(redactUrl('postgres://app:s3:cret@db/app')).toBe('postgres://app:***@db/app');
  });

  test('literal reasons never repeat the password', () => {
    expect(secretLiteralReason('DATABASE_URL', 'postgres://app:hunter2@db/app')).toBe('holds a URL with a password (postgres://app:***@db/app)');
    expect(secretLiteralReason('DB_PASSWORD', 'hunter2')).toBe('is named like a secret and has a literal value');
    expect(secretLiteralReason('DB_PASSWORD', '$(FROM_SECRET)')).toBeUndefined();
    expect(secretLiteralReason('DB_PASSWORD', '')).toBeUndefined();
    expect(secretLiteralReason('LOG_LEVEL', 'debug')).toBeUndefined();
  });

  test('secret-looking lines in a properties or .env file', () => {
    expect(secretLinesIn('log.level=info\ndb.password=hunter2\nexport API_TOKEN="abc"\napi_key: ${API_KEY}\n')).toEqual([
      { line: 2, key: 'db.password' }, { line: 3, key: 'API_TOKEN' },
    ]);
  });
});
