-- Deleting an area asks whether links belong to it.
ALTER TABLE linkage_links ADD KEY k_linkage_links_area (area_id);
