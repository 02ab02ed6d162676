//! Delivery-plan workstreams (parser to follow).
