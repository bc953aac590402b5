import { Box } from '@twilio-paste/core/box';
import { Text } from '@twilio-paste/core/text';

export interface Bar {
  label: string;
  value: number;
}

/**
 * A horizontal bar chart: one row per bar, its label, a bar as long as its share of the largest
 * and the value. Screen readers get the same as a list.
 */
export function FigureBars({
  bars,
  caption,
  testId,
}: {
  bars: readonly Bar[];
  caption: string;
  testId: string;
}) {
  const largest = Math.max(1, ...bars.map((bar) => bar.value));
  return (
    <Box as="figure" margin="space0" data-testid={testId}>
      <Text as="p" fontWeight="fontWeightSemibold" marginBottom="space30">
        {caption}
      </Text>
      <Box as="ul" margin="space0" padding="space0" listStyleType="none" display="grid" rowGap="space20">
        {bars.map((bar) => (
          <Box
            as="li"
            key={bar.label}
            display="grid"
            gridTemplateColumns="minmax(72px, 30%) 1fr 40px"
            columnGap="space30"
            alignItems="center"
          >
            <Text as="span" fontSize="fontSize20" color="colorTextWeak">
              {bar.label}
            </Text>
            <Box backgroundColor="colorBackground" borderRadius="borderRadius20" height="12px">
              <Box
                backgroundColor="colorBackgroundPrimary"
                borderRadius="borderRadius20"
                height="12px"
                width={`${(bar.value / largest) * 100}%`}
              />
            </Box>
            <Text as="span" fontSize="fontSize20" textAlign="right">
              {bar.value}
            </Text>
          </Box>
        ))}
      </Box>
    </Box>
  );
}
