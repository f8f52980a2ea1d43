-- What a shopper chose for each ordered line (issue 17), as on its cart line.
ALTER TABLE order_lines ADD COLUMN selected_options TEXT NOT NULL DEFAULT '[]';
