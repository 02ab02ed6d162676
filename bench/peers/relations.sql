-- caregraph's tables declare no foreign keys (an ingest run replaces a document's rows in
-- whatever order suits it), so PostGraphile would infer no relations from them. These smart
-- comments declare the ones caregraph's own schema follows, without changing the tables.
COMMENT ON TABLE milestone IS E'@foreignKey (commitment_id) references commitment (id)';
COMMENT ON TABLE progress_update IS E'@foreignKey (milestone_id) references milestone (id)\n@foreignKey (document_id) references document (id)\n@foreignKey (commitment_id) references commitment (id)';
COMMENT ON TABLE organisation_role IS E'@foreignKey (organisation_id) references organisation (id)\n@foreignKey (commitment_id) references commitment (id)\n@foreignKey (document_id) references document (id)';
