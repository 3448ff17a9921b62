-- Every activation the gateway accepted, so its status resource answers "pending" before the saga has started.
CREATE TABLE activation_requests (
    activation_id  uuid        PRIMARY KEY,
    submitted_at   timestamptz NOT NULL
);
