"""What is kept between builds: the sealed cache of compiled posts and rendered pages, and
the record that makes an unchanged build do nothing."""
