-- The schema `flask init-db` (db.create_all) made at commit 42eeeab, before migrations,
-- for sqlite: generated once from that commit's models with SQLAlchemy's CreateTable/CreateIndex.
CREATE TABLE users (
	id INTEGER NOT NULL, 
	email VARCHAR(254) NOT NULL, 
	password_hash VARCHAR(255) NOT NULL, 
	role VARCHAR(16) NOT NULL, 
	active BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_users_email ON users (email);
CREATE TABLE cases (
	id INTEGER NOT NULL, 
	reference VARCHAR(16) NOT NULL, 
	secret_token VARCHAR(64) NOT NULL, 
	organization VARCHAR(200) NOT NULL, 
	certificate_pem TEXT, 
	private_key_dropped BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	completed_at DATETIME, 
	owner_id INTEGER, 
	resolved_at DATETIME, 
	read_token VARCHAR(64), 
	PRIMARY KEY (id), 
	FOREIGN KEY(owner_id) REFERENCES users (id) ON DELETE SET NULL, 
	UNIQUE (read_token)
);
CREATE INDEX ix_cases_owner_id ON cases (owner_id);
CREATE UNIQUE INDEX ix_cases_reference ON cases (reference);
CREATE UNIQUE INDEX ix_cases_secret_token ON cases (secret_token);
CREATE INDEX ix_cases_updated_at ON cases (updated_at);
CREATE TABLE audit_events (
	id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	user_id INTEGER, 
	user_email VARCHAR(254) NOT NULL, 
	action VARCHAR(32) NOT NULL, 
	case_id INTEGER, 
	case_reference VARCHAR(16) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE SET NULL, 
	FOREIGN KEY(case_id) REFERENCES cases (id) ON DELETE SET NULL
);
CREATE INDEX ix_audit_events_at ON audit_events (at);
CREATE INDEX ix_audit_events_case_id ON audit_events (case_id);
CREATE TABLE case_notes (
	id INTEGER NOT NULL, 
	case_id INTEGER NOT NULL, 
	author_id INTEGER, 
	text TEXT NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(case_id) REFERENCES cases (id) ON DELETE CASCADE, 
	FOREIGN KEY(author_id) REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX ix_case_notes_case_id ON case_notes (case_id);
CREATE TABLE case_steps (
	id INTEGER NOT NULL, 
	case_id INTEGER NOT NULL, 
	step VARCHAR(40) NOT NULL, 
	data JSON NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (case_id, step), 
	FOREIGN KEY(case_id) REFERENCES cases (id) ON DELETE CASCADE
);
CREATE INDEX ix_case_steps_case_id ON case_steps (case_id);
