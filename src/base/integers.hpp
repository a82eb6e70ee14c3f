#pragma once
// Whole numbers from text a pipeline wrote, converted without undefined behaviour.
#include <string_view>

namespace kfrun::base {

// C's atoi without its undefined behaviour: leading blanks, a sign, then digits (what follows
// is ignored; none: 0), saturated at INT_MIN/INT_MAX where atoi's result is undefined.
int saturating_atoi(std::string_view text);

}  // namespace kfrun::base
