"""Gender-disaggregated statistics of participation, with disclosure control for what is
published."""
