-- Every activation the gateway accepted, so its status resource answers "pending" before the saga has started.
CREATE TABLE activation_requests (
    activation_id  TEXT PRIMARY KEY,
    submitted_at   TEXT NOT NULL
);
