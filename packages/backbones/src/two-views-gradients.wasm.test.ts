import { describeTwoViews, TWO_VIEWS_CASES } from './two-views-gradients';

describeTwoViews(1, TWO_VIEWS_CASES);
