// The Kolmogorov-Smirnov test: is a sample drawn from a reference distribution?
//
//   statistic   D = sup_x |F_sample(x) - F_reference(x)|, F the cumulative distributions
//               (empirical for a sample; a function for a continuous reference).
//   p-value     Q_KS(lambda) = 2 sum_{j>=1} (-1)^{j-1} exp(-2 j^2 lambda^2), the probability
//               that D is at least as large by chance, evaluated (Numerical Recipes, 3rd ed.,
//               section 14.3) at lambda = (sqrt(N_e) + 0.12 + 0.11 / sqrt(N_e)) D, where the
//               effective count N_e = n m / (n + m) for two samples of n and m events and
//               N_e = n against a continuous reference. The 0.12 + 0.11/sqrt(N_e) term is
//               Stephens' correction, which makes the asymptotic form good already for N_e ~ 4.
#pragma once

#include <functional>
#include <span>
#include <vector>

namespace qgen::eval {

/// Q_KS(lambda): 1 at lambda <= 0, decreasing to 0.
double kolmogorov_q(double lambda);

/// D between the empirical distributions of two samples (any order; ties handled).
double ks_statistic(std::vector<double> a, std::vector<double> b);

/// D between a sample's empirical distribution and a continuous cumulative distribution.
double ks_statistic(std::vector<double> sample, const std::function<double(double)>& cdf);

/// p-value of D for an effective count N_e (see above).
double ks_p_value(double statistic, double effective_count);

}  // namespace qgen::eval
