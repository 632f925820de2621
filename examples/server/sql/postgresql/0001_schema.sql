-- The central store on PostgreSQL (examples/server/postgres_store.cpp).
-- Migrations are applied in file order, each once, each in its own
-- transaction (schema_migrations); a released file is never edited.
-- Binary values (keys, MACs, card hashes) are bytea; times are Unix ms.

CREATE TABLE terminals (
  terminal_id  text PRIMARY KEY,
  key          bytea NOT NULL,
  revoked      boolean NOT NULL DEFAULT false,
  -- The head row: every push locks it first (SELECT ... FOR UPDATE), which
  -- orders one terminal's batches while other terminals proceed.
  head_seq     bigint NOT NULL DEFAULT 0,
  head_mac     bytea NOT NULL DEFAULT '\x0000000000000000000000000000000000000000000000000000000000000000',
  last_push_at bigint               -- when a batch last moved the head (metrics)
);

CREATE TABLE nonces (
  terminal_id text NOT NULL,
  nonce       text NOT NULL,
  expires_at  bigint NOT NULL,
  PRIMARY KEY (terminal_id, nonce)
);
CREATE INDEX nonces_by_expiry ON nonces (expires_at);

-- One row per entry a till pushed: the primary key is what makes an entry
-- stored exactly once.
CREATE TABLE entries (
  terminal_id text NOT NULL,
  seq         bigint NOT NULL,
  mac         bytea NOT NULL,
  op_id       text NOT NULL,
  kind        text NOT NULL,
  account_id  text NOT NULL,
  points      bigint NOT NULL,
  units       bigint,               -- money moved (stored_value entries)
  ref         text,                 -- gift, wallet
  status      text NOT NULL,        -- applied, applied_flagged, rejected
  reason      text NOT NULL,
  at          bigint NOT NULL,
  batch_id    text NOT NULL,
  PRIMARY KEY (terminal_id, seq)
);
-- An account's entries: what its balance is summed from (Verify, audits).
CREATE INDEX entries_by_account ON entries (account_id);

CREATE TABLE batches (
  batch_id    text PRIMARY KEY,
  terminal_id text NOT NULL,
  first_seq   bigint NOT NULL,
  last_seq    bigint NOT NULL,
  fingerprint bytea NOT NULL,
  response    text NOT NULL,
  applied_at  bigint NOT NULL
);

-- Balances: the sum of an account's counted entries, kept by each push's
-- aggregate over the entries it inserted (and checkable against them).
CREATE TABLE accounts (
  account_id text PRIMARY KEY,
  name       text NOT NULL,
  points     bigint NOT NULL DEFAULT 0,
  version    bigint NOT NULL DEFAULT 0
);

CREATE TABLE cards (
  card_hash   bytea PRIMARY KEY,
  account_id  text NOT NULL,
  masked      text NOT NULL,
  enrolled_at bigint NOT NULL
);
CREATE INDEX cards_by_account ON cards (account_id);

CREATE TABLE hotlist (
  card_hash bytea PRIMARY KEY,
  state     text NOT NULL
);

CREATE TABLE programs (
  version   bigint PRIMARY KEY,
  document  text NOT NULL,
  signature bytea NOT NULL
);

CREATE TABLE policy (
  id               integer PRIMARY KEY CHECK (id = 1),
  offline_after_ms bigint,
  redeem_cap       bigint
);

CREATE TABLE gift_cards (
  card_hash  bytea PRIMARY KEY,
  account_id text NOT NULL,
  masked     text NOT NULL
);
CREATE INDEX gift_cards_by_account ON gift_cards (account_id);

CREATE TABLE stored_value (
  account_id    text NOT NULL,
  ref           text NOT NULL,
  balance_minor bigint NOT NULL DEFAULT 0,
  version       bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, ref)
);

CREATE TABLE coupons (
  code       text PRIMARY KEY,
  coupon_id  text NOT NULL,
  account_id text NOT NULL,
  uses       bigint,
  expires_at bigint,
  issued_by  text NOT NULL
);

CREATE TABLE coupon_uses (
  code        text NOT NULL,
  terminal_id text NOT NULL,
  op_id       text NOT NULL,
  account_id  text NOT NULL,
  reversed    boolean NOT NULL,
  PRIMARY KEY (code, terminal_id, op_id)
);

-- The change log the tills pull (§4): each thing once, at the version of
-- its newest change. A pull of the changes since version N walks
-- changes_by_version from N: its cost follows the changes, not the tables.
-- Versions are taken under one transaction-scoped advisory lock held until
-- commit, so a version is visible only once every smaller one is.
CREATE SEQUENCE change_version;
CREATE TABLE changes (
  kind    text NOT NULL,            -- balance, stored_value, hotlist, program, policy, coupon
  key     text NOT NULL,
  version bigint NOT NULL,
  PRIMARY KEY (kind, key)
);
CREATE UNIQUE INDEX changes_by_version ON changes (version);
