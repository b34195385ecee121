-- Where the bot sent a member the crisis resources (a reply in the channel, a direct message),
-- so that a review post delivered later (the one-minute retry) can still edit them to say the
-- moderators know, once and only then. Ids only; a row goes once the reply is updated, and
-- with its flag (purge of the member, the retention purge of closed flags).
CREATE TABLE crisis_replies (
    flag_id INTEGER NOT NULL REFERENCES flags(id) ON DELETE CASCADE,
    channel_id INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    PRIMARY KEY (flag_id, message_id)
);
