-- How many addresses each store's newsletter list holds, kept with every subscribe and
-- unsubscribe, so bounding the list costs one row update rather than a count of the list.
CREATE TABLE newsletter_counts (
    store_id BIGINT PRIMARY KEY REFERENCES stores(id),
    subscribers BIGINT NOT NULL
);
INSERT INTO newsletter_counts (store_id, subscribers)
    SELECT store_id, COUNT(*) FROM newsletter_subscribers GROUP BY store_id;
