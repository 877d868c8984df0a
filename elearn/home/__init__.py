"""The personal home ("My elearn") and the activity page's sections: the highest domain, which
reads every other one so that none of them has to know about the others."""
